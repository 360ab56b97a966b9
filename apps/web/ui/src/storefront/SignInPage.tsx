import { useState, type FormEvent } from 'react';
import { troubleOf, type Trouble } from '../app/problems';
import { navigate } from '../app/router';
import { expiredSession, signIn } from '../app/session';
import { ErrorBox } from './parts';

/**
 * Demo sign-in: any name is a customer of that name (the gateway's demo
 * tokens, on stacks with DEMO_AUTH=true; names starting with `decline` are
 * customers whose payments are always declined).
 */
export function SignInForm({ prompt, then }: { prompt: string; then?: string }) {
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const expired = expiredSession();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setTrouble(null);
    try {
      const name = demoUsername(username);
      if (!name) {
        setTrouble({ message: 'Use some letters or digits in the name.', retry: false });
        return;
      }
      await signIn(name);
      if (then) navigate(then);
    } catch (error) {
      setTrouble(troubleOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="sign-in" onSubmit={(event) => void submit(event)}>
      {expired && (
        <p className="notice" data-testid="session-expired">
          Your sign-in as {expired} has expired: sign in again.
        </p>
      )}
      <label>
        {prompt}
        <input name="username" value={username} onChange={(event) => setUsername(event.target.value)} placeholder="your name, e.g. alice" maxLength={100} required autoComplete="username" />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted small">A demo: any name is a customer of that name; names starting with “decline” have their payments declined.</p>
      {trouble && <ErrorBox trouble={trouble} />}
    </form>
  );
}

/**
 * The demo user a typed name stands for: the gateway takes lowercase
 * letters, digits and dashes (at most 40), so "Zoë O'Neil" signs in as
 * `zoe-o-neil`; null when nothing of the name is left.
 */
export function demoUsername(typed: string): string | null {
  const name = typed
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return name || null;
}

export function SignInPage() {
  return (
    <article className="narrow">
      <h1>Sign in</h1>
      <SignInForm prompt="Your name" then="/me" />
    </article>
  );
}
