'use server';

import { redirect } from 'next/navigation';
import { prisma } from '@/lib/db';

export async function renameNote(id: string, title: string) {
  await prisma.$executeRawUnsafe(`UPDATE "Note" SET title = '${title}' WHERE id = '${id}'`);
}

export async function afterLogin(formData: FormData) {
  const next = formData.get('next') as string;
  redirect(next);
}
