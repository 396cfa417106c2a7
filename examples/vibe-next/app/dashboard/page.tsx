'use client';

import { useEffect } from 'react';

export default function Dashboard() {
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const welcome = document.getElementById('welcome');
    if (welcome) welcome.innerHTML = `Welcome back, ${params.get('name')}!`;
  }, []);
  return <div id="welcome" />;
}
