// What a Confluence client can read to learn the version:
// - GET /rest/applinks/1.0/manifest: anonymous on every version; XML unless asked for JSON
//   ({id, name, typeId, version, buildNumber, applinksVersion, …, url});
// - GET /rest/api/server-information (9.1+): authenticated; {baseUrl, version, buildNumber,
//   marketplaceBuildNumber, buildDate} (the Confluence DC REST docs).
import { json, type Reply, type RouteContext } from '../../reply.ts';
import { traitsOf } from './versions.ts';

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function manifest(ctx: RouteContext): Reply {
  const t = traitsOf(ctx);
  const body = {
    id: '6a3e8c51-9d7f-3b2a-8c41-5f0e2d9b7a10',
    name: 'Confluence',
    typeId: 'confluence',
    version: t.full,
    buildNumber: t.buildNumber,
    applinksVersion: '10.0.4',
    inboundAuthenticationTypes: ['com.atlassian.applinks.api.auth.types.OAuthAuthenticationProvider'],
    outboundAuthenticationTypes: ['com.atlassian.applinks.api.auth.types.OAuthAuthenticationProvider'],
    publicSignup: false,
    url: ctx.base,
    iconUrl: `${ctx.base}/images/icons/favicon.png`,
  };
  if ((ctx.req.headers.accept ?? '').toLowerCase().includes('json')) return json(200, body);
  const el = (name: string, value: string | number | boolean): string =>
    `<${name}>${xmlEscape(String(value))}</${name}>`;
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><manifest>' +
    el('id', body.id) +
    el('name', body.name) +
    el('typeId', body.typeId) +
    el('version', body.version) +
    el('buildNumber', body.buildNumber) +
    el('applinksVersion', body.applinksVersion) +
    body.inboundAuthenticationTypes.map((a) => el('inboundAuthenticationTypes', a)).join('') +
    body.outboundAuthenticationTypes.map((a) => el('outboundAuthenticationTypes', a)).join('') +
    el('publicSignup', body.publicSignup) +
    el('url', body.url) +
    el('iconUrl', body.iconUrl) +
    '</manifest>';
  return { status: 200, raw: xml, contentType: 'application/xml' };
}

export function serverInformation(ctx: RouteContext): Reply {
  const t = traitsOf(ctx);
  return json(200, {
    baseUrl: ctx.base,
    version: t.full,
    buildNumber: t.buildNumber,
    marketplaceBuildNumber: t.buildNumber,
    buildDate: t.buildDate,
  });
}
