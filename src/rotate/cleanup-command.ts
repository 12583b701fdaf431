/**
 * The exact AWS CLI command that deletes a key, for messages telling the
 * user what to clean up. Key ids and user names are not secrets; both are
 * restricted to `[\w+=,.@-]` by IAM, so no quoting is needed.
 */
export function deleteKeyCommand(userName: string, accessKeyId: string): string {
  return `aws iam delete-access-key --user-name ${userName} --access-key-id ${accessKeyId}`;
}
