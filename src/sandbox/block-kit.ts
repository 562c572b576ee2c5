/**
 * Block Kit validation as Slack does it for chat.postMessage, chat.update, views.* and response_url
 * posts. Only the duplicate action_id check lives here for now; the full validator (element limits,
 * text lengths, required fields) replaces this file with the same signature.
 */
export function validateBlocks(blocks: unknown, _surface: 'message' | 'modal' | 'home'): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const errors: string[] = [];
  blocks.forEach((block, i) => {
    const b = block as { elements?: unknown; accessory?: unknown; element?: unknown };
    const elements = [
      ...(Array.isArray(b.elements) ? b.elements : []),
      ...(b.accessory ? [b.accessory] : []),
      ...(b.element ? [b.element] : []),
    ] as { action_id?: unknown }[];
    const seen = new Set<unknown>();
    for (const e of elements) {
      if (e?.action_id === undefined) continue;
      if (seen.has(e.action_id))
        errors.push(`duplicate action_id "${String(e.action_id)}" [json-pointer:/blocks/${i}]`);
      seen.add(e.action_id);
    }
  });
  return errors;
}
