// What a Bitbucket client reads about the instance:
// - GET application-properties (anonymous): {version, buildNumber, buildDate, displayName};
// - GET admin/user-directories (ADMIN): the directories. The OpenAPI declares one RestUserDirectory {name,
//   type, description, active}; a list is what the resource is for: the sandbox answers the paged envelope
//   of them (assumed), types as Crowd names them (INTERNAL, CONNECTOR).
import { json, type Reply, type RouteContext } from '../../reply.ts';
import { page } from './beans.ts';
import { bitbucketTraits } from './versions.ts';

export function applicationProperties(ctx: RouteContext): Reply {
  const t = bitbucketTraits(ctx.version);
  return json(200, {
    version: t.full,
    buildNumber: t.buildNumber,
    buildDate: t.buildDate,
    displayName: 'Bitbucket',
  });
}

export function userDirectories(ctx: RouteContext): Reply {
  return json(
    200,
    page(ctx, ctx.store.directories, (d) => ({
      name: d.name,
      type: d.type === 'LDAP' ? 'CONNECTOR' : 'INTERNAL',
      description:
        d.type === 'LDAP' ? `${d.name} (LDAP${d.readOnly ? ', read only' : ''})` : 'Bitbucket users',
      active: true,
    })),
  );
}
