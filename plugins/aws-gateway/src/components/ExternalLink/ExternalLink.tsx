import { Link } from '@backstage/ui';
import { RiExternalLinkLine } from '@remixicon/react';
import { ReactNode } from 'react';

/**
 * A link to another site (the AWS console) that opens in a new tab, marked
 * with the external-link icon; `label` is its accessible name.
 */
export function ExternalLink(props: {
  href: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <Link
      href={props.href}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={props.label}
    >
      {props.children}
      <RiExternalLinkLine
        size={12}
        aria-hidden="true"
        style={{ marginLeft: 2, verticalAlign: 'middle' }}
      />
    </Link>
  );
}
