// The SMTP relay's URL, checked when the server starts (src/config.ts reads it from the environment).
/** Checks an SMTP URL when the server starts: smtp:// or smtps://, with a host. */
export function checkSmtpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`not a URL: "${text}"`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new RangeError(`an smtp:// or smtps:// URL, not "${url.protocol}"`);
  if (!url.hostname) throw new RangeError('the URL names no host');
  return text;
}
