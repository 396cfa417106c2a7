import { prisma } from '@/lib/db';

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q = '' } = await searchParams;
  const notes = await prisma.note.findMany({ where: { title: { contains: q } } });
  return (
    <main>
      <h1 dangerouslySetInnerHTML={{ __html: `Results for <em>${q}</em>` }} />
      <ul>
        {notes.map((n) => (
          <li key={n.id}>{n.title}</li>
        ))}
      </ul>
    </main>
  );
}
