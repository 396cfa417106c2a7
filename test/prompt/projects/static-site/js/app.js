const recipes = [
  { name: 'Lentil soup', minutes: 40 },
  { name: 'Shakshuka', minutes: 25 },
];

document.getElementById('search').addEventListener('input', (event) => {
  const q = event.target.value.toLowerCase();
  const list = document.getElementById('results');
  list.replaceChildren(...recipes.filter((r) => r.name.toLowerCase().includes(q)).map((r) => {
    const li = document.createElement('li');
    li.textContent = `${r.name} (${r.minutes} min)`;
    return li;
  }));
});
