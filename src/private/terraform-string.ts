/**
 * The one escaping function for strings that reach Terraform from a user
 * value. Terraform reads `${...}` and `%{...}` in any string as a template;
 * a user's literal text is escaped (`$${`, `%%{`) so that it arrives byte
 * for byte. cdktf's own token placeholders (`${TfToken[...]}`) are left
 * alone: they become Terraform references on purpose.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** `value` with every string in it escaped by `escapeTerraformTemplate` (objects and arrays walked). */
export function escapeTerraformTemplates<T>(value: T): T {
  if (typeof value === 'string') return escapeTerraformTemplate(value) as unknown as T;
  if (Array.isArray(value)) return value.map(escapeTerraformTemplates) as unknown as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTerraformTemplates(v)])) as T;
  }
  return value;
}
