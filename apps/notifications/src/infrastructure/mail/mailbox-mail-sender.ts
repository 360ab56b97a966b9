import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { MailSender, type OutgoingMail } from '../../application/ports/mail-sender.port.js';
import type { SendOutcome } from '../../application/ports/send-outcome.js';
import { mailOptions } from './mail-options.js';

/**
 * A local mailbox: every mail sent becomes one `.eml` file in a folder
 * (`<delivery id>-<attempt>.eml`), which a mail client can open and tests can
 * read. A resent mail is a second file, as it would be a second mail.
 */
export class MailboxMailSender extends MailSender {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly folder: string,
    private readonly from: string,
  ) {
    super();
    mkdirSync(folder, { recursive: true });
  }

  async send(mail: OutgoingMail): Promise<SendOutcome> {
    const info = await this.transport.sendMail(mailOptions(mail, this.from));
    const file = join(this.folder, `${mail.deliveryId}-${mail.attempt}.eml`);
    // Written under a temporary name, then renamed: a reader never sees half a mail.
    await writeFile(`${file}.tmp`, info.message as Buffer);
    await rename(`${file}.tmp`, file);
    return { sent: true };
  }
}
