export default function Home() {
  return <main><h1>Invoice Pilot</h1><a href="/dashboard">Open your dashboard</a></main>;
}
