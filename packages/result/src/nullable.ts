/** `T | null`, the contract's way of saying "measured, but not available here". */
import { type TNull, type TSchema, type TUnion, Type } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()]);
