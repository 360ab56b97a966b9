import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from '../../application/ports/mail-sender.port.js';

/**
 * The same Message-ID on every attempt, so a mail client or server that sees
 * a resent mail can tell it is the same one.
 */
export function mailOptions(mail: OutgoingMail, from: string): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: `<${mail.deliveryId}@boxoffice>`,
    headers: { 'X-Boxoffice-Delivery': mail.deliveryId, 'X-Boxoffice-Order': mail.orderId },
  };
}
