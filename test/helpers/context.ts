// A Context for unit tests in which everything a test did not set throws, so
// a test states exactly what the code under test may touch, and an
// unexpected read (a prompt, the clock, the home directory) fails loudly.
import type { Clock, Context, Logger, Prompter } from '../../src/io/context.js';

/** What a test may set; the logger and prompter may be given in part. */
export interface TestContextOverrides {
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  rolehopHome?: string;
  userName?: string;
  clock?: Clock;
  /** Methods not given throw; pass `silentLogger` to allow all logging. */
  logger?: Partial<Logger>;
  /** Methods not given reject. */
  prompter?: Partial<Prompter>;
}

function unexpected(member: string): Error {
  return new Error(`test context: ${member} used, but this test did not set it`);
}

/**
 * Builds a {@link Context} from `over`. Reading a member not in `over` (or
 * calling a logger method not given) throws; a prompter method not given
 * rejects, as a real prompter that cannot answer does.
 */
export function testContext(over: TestContextOverrides = {}): Context {
  const value = <K extends 'env' | 'homeDir' | 'rolehopHome' | 'userName' | 'clock'>(key: K): NonNullable<TestContextOverrides[K]> => {
    const v = over[key];
    if (v === undefined) throw unexpected(`ctx.${key}`);
    return v;
  };
  const log = (level: keyof Logger) =>
    over.logger?.[level] ??
    (() => {
      throw unexpected(`ctx.logger.${level}`);
    });
  const ask = <K extends keyof Prompter>(kind: K): Prompter[K] =>
    over.prompter?.[kind] ??
    ((async () => {
      throw unexpected(`ctx.prompter.${kind}`);
    }) as Prompter[K]);
  return {
    get env() {
      return value('env');
    },
    get homeDir() {
      return value('homeDir');
    },
    get rolehopHome() {
      return value('rolehopHome');
    },
    get userName() {
      return value('userName');
    },
    get clock() {
      return value('clock');
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn') },
    prompter: { mfaCode: ask('mfaCode'), passphrase: ask('passphrase'), text: ask('text') },
  };
}
