import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

/**
 * The service's GET routes, read from the controllers once: where a form posted from, for formPagePath, follows the
 * routes as they are (a new page needs no list kept by hand).
 */
@Injectable()
export class PageRoutes {
  private patterns?: RegExp[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  has(path: string): boolean {
    this.patterns ??= this.collect();
    return this.patterns.some((pattern) => pattern.test(path));
  }

  private collect(): RegExp[] {
    return this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name] as object;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) return [];
        return prefixes.flatMap((prefix) => pathsOf(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => routePattern(prefix, path)));
      });
    });
  }
}

function pathsOf(metadata: unknown): string[] {
  return metadata === undefined ? [''] : ([] as unknown[]).concat(metadata).map(String);
}

/** `espace` + `demandes/:reference` → ^/espace/demandes/[^/]+$ (the routes use literal segments and :parameters only). */
function routePattern(prefix: string, path: string): RegExp {
  const segments = `${prefix}/${path}`.split('/').filter(Boolean);
  const source = segments.map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^/${source}$`);
}
