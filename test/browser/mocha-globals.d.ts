/**
 * Types for the mocha `bdd` globals that web-test-runner's mocha provides to browser tests
 * (describe, it, hooks, `.skip`/`.only`, `this.timeout()`). Kept here instead of @types/mocha,
 * which the project does not install; only the parts the tests use.
 */
export {};

declare global {
  namespace Mocha {
    interface Runnable {
      title: string;
      timeout(ms: number | string): this;
      slow(ms: number | string): this;
      retries(n: number): this;
    }
    interface Context {
      timeout(ms: number | string): this;
      timeout(): number;
      slow(ms: number | string): this;
      retries(n: number): this;
      skip(): never;
      currentTest?: Runnable & { state?: 'failed' | 'passed' | 'pending' };
    }
    type Done = (error?: unknown) => void;
    type Func = (this: Context, done: Done) => void;
    type AsyncFunc = (this: Context) => PromiseLike<unknown> | void;
    type TestFn = Func | AsyncFunc;

    interface SuiteFunction {
      (title: string, fn: (this: Context) => void): void;
      only(title: string, fn: (this: Context) => void): void;
      skip(title: string, fn: (this: Context) => void): void;
    }
    interface TestFunction {
      (title: string, fn?: TestFn): Runnable;
      only(title: string, fn?: TestFn): Runnable;
      skip(title: string, fn?: TestFn): Runnable;
      retries(n: number): void;
    }
    interface HookFunction {
      (fn: TestFn): void;
      (name: string, fn?: TestFn): void;
    }
  }

  const describe: Mocha.SuiteFunction;
  const it: Mocha.TestFunction;
  const before: Mocha.HookFunction;
  const after: Mocha.HookFunction;
  const beforeEach: Mocha.HookFunction;
  const afterEach: Mocha.HookFunction;
}
