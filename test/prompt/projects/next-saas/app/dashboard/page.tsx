import { prisma } from '@/lib/db';
import { supabaseServer } from '@/lib/supabase-server';

export default async function Dashboard() {
  const { data } = await supabaseServer().auth.getUser();
  if (!data.user) return <p>Please sign in.</p>;
  const invoices = await prisma.invoice.findMany({ where: { ownerId: data.user.id } });
  return <ul>{invoices.map((i) => <li key={i.id}>{i.customer}: {i.amount / 100}</li>)}</ul>;
}
