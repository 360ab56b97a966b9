import { consoleRoutes } from '../console/routes';
import { storefrontRoutes } from '../storefront/routes';
import { Link, matchRoute, usePath, type Route } from './router';
import { signOut, useSession } from './session';

/** Every area's routes: the storefront and the operations console each bring their own table. */
const routes: Route[] = [...storefrontRoutes, ...consoleRoutes];

export function App() {
  const path = usePath();
  const session = useSession();
  const page = matchRoute(routes, path);
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">
          boxoffice
        </Link>
        <nav>
          <Link to="/">On sale</Link>
          <Link to="/me">My orders and tickets</Link>
          <Link to="/console">Console</Link>
          {session ? (
            <span className="who">
              {session.username}{' '}
              <button type="button" className="link" onClick={signOut}>
                sign out
              </button>
            </span>
          ) : (
            <Link to="/sign-in">Sign in</Link>
          )}
        </nav>
      </header>
      <main>
        {page ?? (
          <article>
            <h1>Page not found</h1>
            <Link to="/">See what is on sale</Link>
          </article>
        )}
      </main>
    </>
  );
}
