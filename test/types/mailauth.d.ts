// mailauth ships no type declarations; this covers what the tests use.
declare module 'mailauth/lib/dkim/verify.js' {
  export function dkimVerify(
    message: Buffer | string,
    options?: { resolver?: (name: string, type: string) => Promise<unknown> },
  ): Promise<{ results: { status: { result: string; comment?: string }; signingDomain: string; selector: string; info: string }[] }>;
}
