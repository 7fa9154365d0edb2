// The reply serializers of the API's response schemas, compiled once per schema for every app a process builds.
//
// Fastify compiles a fast-json-stringify serializer for each route's response schema when an app is built: about
// 1 s of CPU for this API, most of what building an app costs (a profile of `councils serve`'s start). A server
// builds one app, which pays it once as before; the API tests build hundreds of apps in-process, one or more a
// file, and each paid it again. A serializer is a pure function of its schema and fast-json-stringify's options
// (the app's shared schemas and serializer options, which are part of the key here), and the route schemas are
// module constants, so an app built after another reuses its serializers. Nothing else changes: the same compiler
// (Fastify's own, @fastify/fast-json-stringify-compiler) compiles them, the same routes use them.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Compiler = ReturnType<SerializerFactory>;
type Serializer = ReturnType<Compiler>;

const pools = new Map<string, { compile: Compiler; bySchema: WeakMap<object, Serializer> }>();

/** Fastify's `compilersFactory.buildSerializer`: its default compiler, with the serializers kept by schema. */
export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const key = JSON.stringify([externalSchemas ?? {}, options ?? {}]);
  let pool = pools.get(key);
  if (!pool) {
    pool = { compile: SerializerSelector()(externalSchemas, options), bySchema: new WeakMap() };
    pools.set(key, pool);
  }
  const { compile, bySchema } = pool;
  return (route) => {
    const schema = route.schema;
    if (typeof schema !== 'object' || schema === null) return compile(route);
    let serializer = bySchema.get(schema);
    if (!serializer) {
      serializer = compile(route);
      bySchema.set(schema, serializer);
    }
    return serializer;
  };
};

/** The `schemaController` option of the app (src/server/app.ts). */
export const sharedSerializers: FastifyServerOptions['schemaController'] = {
  compilersFactory: { buildSerializer },
};
