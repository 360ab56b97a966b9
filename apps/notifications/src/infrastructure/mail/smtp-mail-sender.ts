import nodemailer from 'nodemailer';
import { MailSender, type OutgoingMail } from '../../application/ports/mail-sender.port.js';
import type { SendOutcome } from '../../application/ports/send-outcome.js';
import { mailOptions } from './mail-options.js';

/** Order mail through an SMTP server (`SMTP_URL`), with timeouts well inside the dispatcher's lease. */
export class SmtpMailSender extends MailSender {
  private readonly transport;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  async send(mail: OutgoingMail): Promise<SendOutcome> {
    try {
      await this.transport.sendMail(mailOptions(mail, this.from));
      return { sent: true };
    } catch (error) {
      return { sent: false, reason: `SMTP: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
