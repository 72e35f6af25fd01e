import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../../auth/roles';
import { CATALOG_STYLESHEET, renderCatalogPage } from '../catalog-page';
import { EventCatalog } from '../event-catalog';

/** The event catalog: the AsyncAPI document, and the same rendered for people. Open like /docs. */
@ApiExcludeController()
@PublicRoute()
@Controller()
export class EventCatalogController {
  /** Rendered on the first visit, then kept; a failed render is tried again on the next visit. */
  private page: Promise<string> | undefined;

  constructor(private readonly catalog: EventCatalog) {}

  @Get('asyncapi.json')
  document(): Record<string, unknown> {
    return this.catalog.document;
  }

  @Get('asyncapi')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async rendered(): Promise<string> {
    this.page ??= renderCatalogPage(this.catalog.document);
    try {
      return await this.page;
    } catch (error) {
      this.page = undefined;
      throw error;
    }
  }

  /** The component's stylesheet, served from the installed package like Swagger UI's assets. */
  @Get('asyncapi/assets/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    if (file !== 'default.min.css') throw new NotFoundException(`No asset ${file}`);
    response.type('text/css').sendFile(CATALOG_STYLESHEET, { maxAge: '1h' });
  }
}
