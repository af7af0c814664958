import type { ComponentChildren, JSX } from 'preact';
import { navigate } from '../router.ts';

type Props = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  href: string;
  children: ComponentChildren;
};

/** A link within the app: a real `<a href>` (open in a new tab works), followed without a reload. */
export function Link({ href, children, ...rest }: Props) {
  const onClick = (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
