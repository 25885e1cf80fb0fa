import { Modal, type ModalProps } from '@mantine/core';

/**
 * A dialog in which a sign-in may run. While it does (`running`), the dialog stays open: a sign-in
 * under way is ended with "Cancel sign-in", never by a stray click or Escape.
 */
export function SignInModal({ running, children, ...props }: Pick<ModalProps, 'opened' | 'onClose' | 'title' | 'size' | 'children'> & { running: boolean }) {
  return (
    <Modal {...props} closeOnClickOutside={!running} closeOnEscape={!running} withCloseButton={!running} closeButtonProps={{ 'aria-label': 'Close' }}>
      {children}
    </Modal>
  );
}
