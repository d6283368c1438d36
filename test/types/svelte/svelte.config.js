// svelte-check reads this instead of looking for a Svelte plugin in the repo's vite.config.ts
export default {};
