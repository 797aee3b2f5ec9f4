/**
 * The wire shape of one record of `POST /api/v1/incidents`, shared by the handler and the
 * OpenAPI description. zod checks types and bounds; the meaning (category of the kind, the time,
 * the store) is checked by the CSV importer's hexwatch profile, so both paths agree.
 */
import { z } from 'zod';
import { COORD_SYSTEMS } from '../ingest/coords.js';
import { MAX_MODEL_VERSION_CHARS } from '../domain/ai-trust.js';
import { CATEGORIES, KINDS } from '../domain/incident.js';
import { plainLine, plainText } from '../domain/text.js';

/** Sources an API client may write; `import` and `bitable` belong to Hexwatch's own importers. */
export const API_SOURCES = ['ai_vision', 'api', 'manual'] as const;
export const MAX_RECORDS = 5_000;
export const MAX_PHOTOS = 20;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const IngestRecordSchema = z
  .object({
    source: z.enum(API_SOURCES),
    externalId: plainLine(text(200).trim().min(1, 'is empty')),
    kind: z.enum(KINDS),
    category: z.enum(CATEGORIES).describe('A category of the kind (see DESIGN.md "Domain").'),
    severity: z.number().int().min(1).max(4),
    occurredAt: text(40).describe('ISO-8601 time with offset, e.g. 2024-05-01T08:30:00+08:00; at most a day ahead.'),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    coords: z.enum(COORD_SYSTEMS).optional().describe('Coordinate system of lat/lng; default wgs84.'),
    storeCode: plainLine(text(100)).nullish().describe('A known store; without it the nearest store covering the point.'),
    city: plainLine(text(100)).nullish().describe('City key, when no store covers the point.'),
    riderId: plainLine(text(200)).nullish(),
    description: plainText(text(4000)).nullish(),
    photoUrls: z
      .array(text(2000).regex(/^https?:\/\/[^\s|]+$/, 'must be an http(s) URL without spaces'))
      .max(MAX_PHOTOS)
      .optional(),
    ai: z
      .object({
        label: plainLine(text(200).min(1, 'is empty')),
        confidence: z.number().min(0).max(1),
        modelVersion: plainLine(text(MAX_MODEL_VERSION_CHARS).trim().min(1, 'is empty'))
          .optional()
          .describe('The version of the model that made the detection (e.g. `yolo-helmet-2024.06`); the AI trust figures are broken down by it.'),
      })
      .strict()
      .nullish(),
  })
  .strict();

export type IngestRecord = z.infer<typeof IngestRecordSchema>;
