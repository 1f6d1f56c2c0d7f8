package io.quorate.maintenance;

/**
 * A recurrence rule's text cannot be parsed; the message names what is wrong, e.g. {@code unknown
 * weekday 'tusday'}, without a prefix, so a caller can put its own location in front.
 */
public final class InvalidRecurrenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidRecurrenceException(String message) {
    super(message);
  }
}
