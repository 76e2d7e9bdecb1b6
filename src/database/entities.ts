import { AnswerDraft } from '../modules/answer-drafts/answer-draft.entity';
import { AnswerTemplate } from '../modules/answer-templates/answer-template.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { Department, LegalReference, Network, Region, Segment } from '../modules/reference/reference.entities';
import { AdviceRequest, RequestEvent } from '../modules/requests/request.entities';
import { MailMessage } from '../modules/mail/mail-message.entity';
import { IdempotencyKey } from '../modules/intake/idempotency-key.entity';
import { OutboxEvent } from '../queue/outbox-event.entity';
import { Facilitator, FacilitatorAbsence, FacilitatorDepartment } from '../modules/directory/directory.entities';
import { RequestAssignment } from '../modules/routing/request-assignment.entity';
import { RequestEscalation } from '../modules/routing/request-escalation.entity';
import { AnswerHelpItem, RequestMessage } from '../modules/requests/request-message.entities';
import { Attachment, AttachmentContent } from '../modules/attachments/attachment.entities';
import { Survey } from '../modules/surveys/survey.entity';
import { StaffActionKey } from '../modules/accounts/staff-action-key.entity';
import { SurveyOptOut } from '../modules/surveys/survey-opt-out.entity';
import { AccountLink, ApiToken, ThrottleEvent, StaffSession, StaffUser, StaffUserNetwork } from '../modules/accounts/accounts.entities';

export const ENTITIES = [
  Network,
  Region,
  Department,
  Segment,
  AdviceRequest,
  RequestEvent,
  MailMessage,
  IdempotencyKey,
  StaffActionKey,
  OutboxEvent,
  Facilitator,
  FacilitatorDepartment,
  FacilitatorAbsence,
  RequestAssignment,
  RequestEscalation,
  LegalReference,
  RequestMessage,
  AnswerHelpItem,
  Attachment,
  AttachmentContent,
  StaffUser,
  StaffUserNetwork,
  StaffSession,
  ApiToken,
  AccountLink,
  ThrottleEvent,
  Survey,
  SurveyOptOut,
  AnswerTemplate,
  AnswerDraft,
  AuditEvent,
];
