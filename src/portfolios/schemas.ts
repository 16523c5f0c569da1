import { Type, type Static } from '@sinclair/typebox';
import { NonBlankString, Nullable, OptionalNullable, Timestamp, Uuid } from '../http/schemas.ts';

export const PortfolioCreate = Type.Object({
  filename: NonBlankString({ maxLength: 255 }),
  file_url: NonBlankString({ maxLength: 2048 }),
  parsed_text: OptionalNullable(Type.String({ maxLength: 500_000 })),
  summary: OptionalNullable(Type.String({ maxLength: 100_000 })),
});
export type PortfolioCreate = Static<typeof PortfolioCreate>;

export const PortfolioResponse = Type.Object({
  id: Uuid(),
  user_id: Uuid(),
  file_url: Type.String({
    description: 'Where the PDF is stored (relative to DATA_DIR for uploads); never served publicly',
  }),
  filename: Type.String(),
  parsed_text: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  created_at: Timestamp,
});

export const PortfolioUploadBody = Type.Object({
  file: Type.String({ format: 'binary', description: 'The portfolio as a PDF' }),
});
