import type { OpenAPIObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';
import { FILES_FIELD } from '../modules/attachments/upload.interceptor';

type Schema = SchemaObject | ReferenceObject;

/**
 * What the decorators cannot say, added to the generated document: every JSON body refuses fields it does not name
 * (`additionalProperties: false`, on its schema and those it nests), and a message sent as JSON carries no files
 * (they travel in multipart only). A client generated from the document then fails where the server would.
 */
export function finishApiDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const closed = new Set<Schema>();
  const close = (schema: Schema | undefined): void => {
    if (!schema || closed.has(schema)) return;
    closed.add(schema);
    if ('$ref' in schema) return close(schemas[schema.$ref.split('/').pop()!]);
    if (schema.properties) {
      schema.additionalProperties ??= false;
      Object.values(schema.properties).forEach(close);
    }
    if (schema.items) close(schema.items);
    schema.allOf?.forEach(close);
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.post, path.put, path.patch]) {
      const content = (operation?.requestBody as RequestBodyObject | undefined)?.content;
      const json = content?.['application/json'];
      if (!json?.schema) continue;
      if (content?.['multipart/form-data'] && !('$ref' in json.schema) && json.schema.properties?.[FILES_FIELD]) {
        const { [FILES_FIELD]: _files, ...properties } = json.schema.properties;
        json.schema = { ...json.schema, properties };
      }
      close(json.schema);
    }
  }
  return document;
}
