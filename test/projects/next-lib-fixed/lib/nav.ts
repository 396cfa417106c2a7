import { redirect } from 'next/navigation';

export default function goTo(target: string) {
  // only paths on this site: `//evil.example` and `/\evil.example` are other sites
  const local = target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\') ? target : '/';
  // ok: open-redirect
  redirect(local);
}
