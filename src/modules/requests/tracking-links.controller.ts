import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError, FieldError } from '../../common/errors/app-errors';
import { formModel } from '../../web/form-model';
import { CSRF_FIELD, CsrfService } from '../accounts/csrf.service';
import { EMAILED_LINK_LIMITS } from '../accounts/throttle.policy';
import { TrackingLinksService } from './tracking-links.service';

type Form = Record<string, unknown>;

/** « Retrouver mes demandes »: the buyer's tracking links sent again to the address they gave. */
@ApiExcludeController()
@Controller('suivi')
export class TrackingLinksController {
  constructor(
    private readonly links: TrackingLinksService,
    private readonly csrf: CsrfService,
  ) {}

  @Get()
  form(@Req() req: Request, @Res() res: Response) {
    this.render(req, res, 200, {});
  }

  /** The same answer whether or not the address has requests; a robot filling the hidden field is sent nothing. */
  @Post()
  @HttpCode(200)
  async send(@Req() req: Request, @Res() res: Response, @Body() body: Form = {}) {
    this.csrf.assertPreSession(req, body[CSRF_FIELD]);
    const robot = typeof body.website === 'string' && body.website !== '';
    try {
      if (!robot) await this.links.sendLinks(body.email, req.ip ?? 'inconnue');
    } catch (error) {
      if (!(error instanceof AppError) || !['validation_failed', 'rate_limited'].includes(error.code)) throw error;
      if (error.extra.retryAfterSeconds) res.setHeader('Retry-After', String(error.extra.retryAfterSeconds));
      const errors = error.errors.length ? error.errors : [{ field: 'email', message: error.message }];
      return this.render(req, res, error.status, { email: body.email }, errors);
    }
    // Past the limit nothing is sent and the page cannot say so (it would tell who asked for an address): it says the rule.
    res.render('tracking-links-sent', { title: 'Liens de suivi envoyés', perHour: EMAILED_LINK_LIMITS.tracking_links.perEmail.max });
  }

  private render(req: Request, res: Response, status: number, values: Form, errors: FieldError[] = []) {
    res.status(status).render('tracking-links', {
      title: 'Retrouver mes demandes',
      form: formModel(values, errors),
      csrf: this.csrf.preSessionToken(req, res),
    });
  }
}
