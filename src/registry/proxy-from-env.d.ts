// proxy-from-env ships without types.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY and NO_PROXY, or '' when the request goes direct. */
  export function getProxyForUrl(url: string | URL): string;
}
