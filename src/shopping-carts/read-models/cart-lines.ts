import { CartCheckedOut, ItemAddedToCart, ItemRemovedFromCart } from '../domain/shopping-cart.events';

export interface CartLineView {
  productId: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

/** What both cart read models keep per cart, whatever else they store. */
export interface CartRowState {
  items: CartLineView[];
  status: 'open' | 'checked_out';
  version: number;
}

export type CartChange = ItemAddedToCart | ItemRemovedFromCart | CartCheckedOut;

export function isCartChange(event: object): event is CartChange {
  return event instanceof ItemAddedToCart || event instanceof ItemRemovedFromCart || event instanceof CartCheckedOut;
}

/**
 * The row after one of the cart's events, or undefined when the row has it already (its version is
 * the stream version of the last event applied), which makes a second delivery harmless.
 */
export function cartRowAfter(
  row: CartRowState,
  event: CartChange,
  streamVersion: number,
): (CartRowState & { totalCents: number }) | undefined {
  if (row.version >= streamVersion) return undefined;
  const items = event instanceof CartCheckedOut ? row.items : applyLineChange(row.items, event);
  return {
    items,
    totalCents: items.reduce((total, line) => total + line.lineTotalCents, 0),
    status: event instanceof CartCheckedOut ? 'checked_out' : row.status,
    version: streamVersion,
  };
}

/** Lines keep their first-added order and vanish at zero. */
function applyLineChange(lines: CartLineView[], event: ItemAddedToCart | ItemRemovedFromCart): CartLineView[] {
  const current = lines.find((line) => line.productId === event.productId);
  const before = current?.quantity ?? 0;
  const quantity = event instanceof ItemAddedToCart ? before + event.quantity : before - event.quantity;
  const unitPriceCents = event instanceof ItemAddedToCart ? event.unitPriceCents : (current?.unitPriceCents ?? 0);
  const changed = { productId: event.productId, quantity, unitPriceCents, lineTotalCents: quantity * unitPriceCents };
  if (current === undefined) return quantity > 0 ? [...lines, changed] : lines;
  return lines.flatMap((line) => (line !== current ? [line] : quantity > 0 ? [changed] : []));
}
