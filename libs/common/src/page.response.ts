import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * The OpenAPI class of a page of `item`s: `{items: [...], nextCursor}`, nextCursor null on the last page.
 * Named `<Item>Page` in the document (an item class named `XResponse` gives `XPage`).
 */
export function PageOf<T>(item: Type<T>): Type<{ items: T[]; nextCursor: string | null }> {
  class Page {
    @ApiProperty({ type: [item] }) items!: T[];
    /** Pass as `cursor` for the next page; null when this is the last. */
    @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  return Page;
}
