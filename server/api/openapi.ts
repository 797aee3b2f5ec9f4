/**
 * `GET /api/v1/openapi.json`: OpenAPI 3.1 description of the ingest API. The record schema is
 * generated from the zod schema the handler validates with, so the two cannot drift.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Env } from '../env.js';
import { ExposureRecordSchema } from './exposure.js';
import { IngestRecordSchema, MAX_RECORDS } from './ingest-schema.js';

export function openApiDocument(env: Pick<Env, 'PUBLIC_URL' | 'INGEST_RATE_PER_MINUTE' | 'INGEST_MAX_BODY_MB'>) {
  const error = {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'string', description: 'What went wrong, for a person.' } },
  };
  const recordErrors = {
    type: 'object',
    required: ['error', 'errors'],
    properties: {
      error: { type: 'string' },
      errors: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['index', 'field', 'message'],
          properties: {
            index: { type: ['integer', 'null'], description: 'Position in `incidents`; null for the envelope.' },
            field: { type: 'string', description: 'Path in the record, e.g. `ai.confidence`.' },
            message: { type: 'string' },
          },
        },
      },
    },
  };
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hexwatch ingest API',
      version: '1',
      description:
        'Incidents from the AI pipeline and other systems. A batch is stored whole or not at all; ' +
        're-sending a record with the same (source, externalId) adds nothing.',
    },
    servers: [{ url: `${env.PUBLIC_URL ?? ''}/api/v1` }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made by an admin (shown once).' } },
      schemas: {
        IncidentRecord: z.toJSONSchema(IngestRecordSchema, { io: 'input', unrepresentable: 'any' }),
        ExposureRecord: z.toJSONSchema(ExposureRecordSchema, { io: 'input', unrepresentable: 'any' }),
        Error: error,
        RecordErrors: recordErrors,
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/incidents': {
        post: {
          operationId: 'ingestIncidents',
          summary: `Store up to ${MAX_RECORDS} incidents`,
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['incidents'],
              properties: {
                incidents: { type: 'array', minItems: 1, maxItems: MAX_RECORDS, items: { $ref: '#/components/schemas/IncidentRecord' } },
              },
            }),
          },
          responses: {
            '200': {
              description: 'Stored (new records) or skipped (already known).',
              content: json({
                type: 'object',
                properties: { received: { type: 'integer' }, inserted: { type: 'integer' }, duplicates: { type: 'integer' } },
              }),
            },
            '400': { description: 'Not JSON.', content: json(error) },
            '401': { description: 'Missing, unknown or revoked API key.', content: json(error) },
            '413': { description: `Body above ${env.INGEST_MAX_BODY_MB} MB or more than ${MAX_RECORDS} records.`, content: json(recordErrors) },
            '415': { description: 'Not application/json.', content: json(error) },
            '422': { description: 'Some record is invalid: nothing was stored.', content: json(recordErrors) },
            '429': {
              description: `Above ${env.INGEST_RATE_PER_MINUTE} requests per minute for the key.`,
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
              content: json(error),
            },
          },
        },
      },
      '/exposure': {
        post: {
          operationId: 'ingestExposure',
          summary: `Store up to ${MAX_RECORDS} store-days of deliveries (exposure)`,
          description: 'A re-sent (storeCode, date, cell) replaces its deliveries. The same key, limits and errors as /incidents.',
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['exposure'],
              properties: {
                exposure: { type: 'array', minItems: 1, maxItems: MAX_RECORDS, items: { $ref: '#/components/schemas/ExposureRecord' } },
              },
            }),
          },
          responses: {
            '200': {
              description: 'Stored (new days) or replaced (days sent before).',
              content: json({ type: 'object', properties: { received: { type: 'integer' }, written: { type: 'integer' } } }),
            },
            '400': { description: 'Not JSON.', content: json(error) },
            '401': { description: 'Missing, unknown or revoked API key.', content: json(error) },
            '413': { description: `Body above ${env.INGEST_MAX_BODY_MB} MB or more than ${MAX_RECORDS} records.`, content: json(recordErrors) },
            '415': { description: 'Not application/json.', content: json(error) },
            '422': { description: 'Some record is invalid or repeated: nothing was stored.', content: json(recordErrors) },
            '429': {
              description: `Above ${env.INGEST_RATE_PER_MINUTE} requests per minute for the key.`,
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
              content: json(error),
            },
          },
        },
      },
    },
  };
}

export function openApiRoutes(env: Env): Router {
  const router = Router();
  const document = openApiDocument(env);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
