export async function fetchPreview(url: string) {
  // ruleid: ssrf
  const res = await fetch(url, { headers: { accept: 'text/html' } });
  return (await res.text()).slice(0, 2000);
}
