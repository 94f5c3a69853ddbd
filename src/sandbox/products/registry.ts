// The sandbox's products, by platform id. Adding a product (Bitbucket, Crowd, Cloud) is its folder here and
// one line in this table.
import type { PlatformId, Product } from '../product.ts';
import { bitbucketDc } from './bitbucket-dc/index.ts';
import { cloud } from './cloud/index.ts';
import { confluenceDc } from './confluence-dc/index.ts';
import { crowd } from './crowd/index.ts';
import { jiraDc } from './jira-dc/index.ts';

export const PRODUCTS: Record<PlatformId, Product> = {
  'jira-dc': jiraDc,
  'confluence-dc': confluenceDc,
  crowd,
  'bitbucket-dc': bitbucketDc,
  cloud,
};

export const PLATFORMS = Object.keys(PRODUCTS) as PlatformId[];

export function isPlatform(value: unknown): value is PlatformId {
  return typeof value === 'string' && Object.hasOwn(PRODUCTS, value);
}

/** The product of a platform id, or an error naming the value and the platforms there are. */
export function productFor(platform: string): Product {
  if (!isPlatform(platform)) {
    throw new Error(`platform: expected ${PLATFORMS.join(' | ')}, got ${JSON.stringify(platform)}`);
  }
  return PRODUCTS[platform];
}

/** Checks a version against the product's, with a message listing them. */
export function checkVersion(product: Product, version: string | undefined): string {
  if (version === undefined) return product.defaultVersion;
  if (!product.versions.includes(version)) {
    throw new Error(
      `version: ${product.name} (${product.id}) versions are ${product.versions.join(' | ')}, got ${JSON.stringify(version)}`,
    );
  }
  return version;
}
