export default function Home() {
  return <main><h1>Billing Desk</h1></main>;
}
