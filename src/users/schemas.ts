import { Type, type Static } from '@sinclair/typebox';
import { NonBlankString, Nullable, OptionalNullable, Timestamp, Uuid } from '../http/schemas.ts';
import { LEVELS, ROLE_NAMES, ROLES } from './roles.ts';

export const Role = Type.Union(
  ROLE_NAMES.map((role) => Type.Literal(role)),
  {
    description: `Job role: ${ROLE_NAMES.map((role) => `${role} (${ROLES[role].en} / ${ROLES[role].ko})`).join(', ')}. Labels: GET /api/users/roles.`,
  },
);
export const Level = Type.Union(
  (Object.keys(LEVELS) as Array<keyof typeof LEVELS>).map((level) => Type.Literal(level)),
  { description: 'Career level; labels: GET /api/users/roles' },
);

const Name = NonBlankString({ maxLength: 200 });
const GithubUsername = NonBlankString({ maxLength: 39 });

export const UserCreate = Type.Object({
  email: Type.String({ format: 'email', maxLength: 320 }),
  // At most 72 bytes, checked by the service with a message that says so: bcrypt reads no further.
  password: Type.String({
    minLength: 8,
    description: '8 characters to 72 bytes in UTF-8 (a Hangul syllable takes 3 bytes)',
  }),
  name: Name,
  role: OptionalNullable(Role),
  level: OptionalNullable(Level),
  github_username: OptionalNullable(GithubUsername),
});
export type UserCreate = Static<typeof UserCreate>;

/** Other properties (the original client sends `jobTitle`; an `email` or `id`) are dropped, never applied. */
export const UserUpdate = Type.Object({
  name: Type.Optional(Name),
  role: OptionalNullable(Role),
  level: OptionalNullable(Level),
  github_username: OptionalNullable(GithubUsername),
});
export type UserUpdate = Static<typeof UserUpdate>;

export const Login = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: 1024 }),
});

export const Token = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
});

export const UserResponse = Type.Object({
  id: Uuid(),
  email: Type.String(),
  name: Type.String(),
  role: Nullable(Type.String()),
  level: Nullable(Type.String()),
  github_username: Nullable(Type.String()),
  created_at: Timestamp,
});

const Label = Type.Object({ value: Type.String(), label_ko: Type.String(), label_en: Type.String() });
export const RoleList = Type.Object({
  roles: Type.Array(
    Type.Composite([Label, Type.Object({ legacy: Type.Boolean({ description: 'Accepted, but not offered' }) })]),
  ),
  levels: Type.Array(Label),
});
