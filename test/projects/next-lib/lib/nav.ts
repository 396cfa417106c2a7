import { redirect } from 'next/navigation';

export default function goTo(target: string) {
  // ruleid: open-redirect
  redirect(target);
}
