'use client';

import { useState } from 'react';
import OpenAI from 'openai';

const openai = new OpenAI({
  apiKey: 'sk-proj-lSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1fT3BlbkFJ8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4',
  dangerouslyAllowBrowser: true,
});

export function ChatBox() {
  const [answer, setAnswer] = useState('');
  async function ask(question: string) {
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
    setAnswer(res.choices[0]?.message?.content ?? '');
  }
  return (
    <form onSubmit={(e) => { e.preventDefault(); ask(new FormData(e.currentTarget).get('q') as string); }}>
      <input name="q" />
      <div dangerouslySetInnerHTML={{ __html: answer }} />
    </form>
  );
}
