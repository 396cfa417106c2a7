// The two ESLint plugins the benchmark compares against ship no type declarations.
declare module 'eslint-plugin-security';
declare module '@microsoft/eslint-plugin-sdl';
