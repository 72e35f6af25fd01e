import { ItemAddedToCart, ItemRemovedFromCart } from '../domain/shopping-cart.events';

export interface CartLineView {
  productId: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

/** The lines after an add or a remove: lines keep their first-added order and vanish at zero. */
export function applyLineChange(lines: CartLineView[], event: ItemAddedToCart | ItemRemovedFromCart): CartLineView[] {
  const current = lines.find((line) => line.productId === event.productId);
  const before = current?.quantity ?? 0;
  const quantity = event instanceof ItemAddedToCart ? before + event.quantity : before - event.quantity;
  const unitPriceCents = event instanceof ItemAddedToCart ? event.unitPriceCents : (current?.unitPriceCents ?? 0);
  const changed = { productId: event.productId, quantity, unitPriceCents, lineTotalCents: quantity * unitPriceCents };
  if (current === undefined) return quantity > 0 ? [...lines, changed] : lines;
  return lines.flatMap((line) => (line !== current ? [line] : quantity > 0 ? [changed] : []));
}

export function totalOf(lines: CartLineView[]): number {
  return lines.reduce((total, line) => total + line.lineTotalCents, 0);
}
