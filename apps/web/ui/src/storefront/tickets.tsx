import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { request, type Ticket } from '../app/api';

/** A ticket with its signed code as a QR image, as the door scanner reads it. */
export function TicketCard({ ticket }: { ticket: Ticket }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    QRCode.toDataURL(ticket.code, { errorCorrectionLevel: 'M', margin: 1, width: 160 }).then(setImage, () => setImage(null));
  }, [ticket.code]);
  return (
    <figure className="ticket" data-testid="ticket" data-seat-id={ticket.seatId}>
      {image ? <img src={image} alt={`QR code of the ticket for seat ${ticket.seatId}`} width={160} height={160} /> : <div className="qr-placeholder" />}
      <figcaption>
        Seat <strong>{ticket.seatId}</strong>
        <code className="ticket-code" title={ticket.code}>
          {ticket.code.slice(0, 18)}…
        </code>
      </figcaption>
    </figure>
  );
}

/**
 * My tickets (GET /me/tickets), optionally one order's: ticketing issues them
 * shortly after the order is confirmed, so read again until `expected` are there.
 */
export function useMyTickets(token: string, orderId?: string, expected = 0): Ticket[] {
  const [tickets, setTickets] = useState<Ticket[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const { tickets: all } = await request<{ tickets: Ticket[] }>('/me/tickets', { token });
        if (stopped) return;
        const mine = orderId ? all.filter((ticket) => ticket.orderId === orderId) : all;
        setTickets(mine);
        if (mine.length < expected) timer = setTimeout(() => void read(), 500);
      } catch {
        if (!stopped) timer = setTimeout(() => void read(), 2000);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token, orderId, expected]);
  return tickets;
}
