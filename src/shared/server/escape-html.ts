/** HTML escaping, for the server's own pages (the companion's connect result, the emulator's consent screens). */

/** Escapes text for HTML content and quoted attribute values, as numeric character references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
