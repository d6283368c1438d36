/**
 * `<tk-microsoft-connect>`'s button as Microsoft's sign-in button guidelines draw it: the
 * four-square logo, Segoe UI semibold 15px, square corners, 41px high; light (white, grey border,
 * #5e5e5e text) or dark (#2f2f2f, white text) with the page's `color-scheme`.
 */
import { css } from 'lit';

export const microsoftConnectStyles = css`
  [part~='button'] {
    display: inline-flex;
    align-items: center;
    gap: 12px;
    min-block-size: 41px;
    padding-block: 0;
    padding-inline: 12px;
    border-radius: 0;
    font-family: 'Segoe UI', system-ui, sans-serif;
    font-size: 15px;
    font-weight: 600;
    background: var(--tk-connect-background, #fff);
    color: var(--tk-connect-color, #5e5e5e);
    border: 1px solid #8c8c8c;
  }
  @supports (color: light-dark(#000, #fff)) {
    [part~='button'] {
      background: var(--tk-connect-background, light-dark(#fff, #2f2f2f));
      color: var(--tk-connect-color, light-dark(#5e5e5e, #fff));
      border-color: light-dark(#8c8c8c, #2f2f2f);
    }
  }
  [part~='logo'] {
    flex: none;
  }
  [part~='note'],
  [part~='hint'] {
    margin: 0;
    max-inline-size: 40em;
  }
  [part~='note'] {
    color: var(--_muted);
    font-size: 0.9em;
  }
`;
