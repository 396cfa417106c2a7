import { z } from 'zod';

export const PostInput = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().max(20_000),
});
