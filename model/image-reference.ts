/**
 * Container image references, by the grammar Docker and containerd parse them with (distribution/reference):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain    := domain-component [ "." domain-component ]* [ ":" port ]
 *
 * (IPv6 registry hosts in brackets are left out.)
 */
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** A full image reference, e.g. `registry.example.com:5000/team/app:1.2@sha256:…`. */
export const IMAGE_REFERENCE = new RegExp(`^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*(?::${tag})?(?:@${digest})?$`);

/** A registry with an optional path prefix, e.g. `registry.example.com/mirror`: what comes before an image's path. */
export const IMAGE_REGISTRY = new RegExp(`^${domain}(?:/${pathComponent})*$`);
