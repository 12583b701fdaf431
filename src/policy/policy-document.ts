/** An IAM policy document as JSON data (`Version`, `Statement`, ...). */
export type PolicyDocument = Record<string, unknown>;
