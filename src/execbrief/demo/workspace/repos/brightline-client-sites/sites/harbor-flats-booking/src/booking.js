// Sends a booking request to the Harbor Flats booking function and redirects to Stripe Checkout.
const BOOKING_ENDPOINT = window.HARBOR_FLATS_BOOKING_URL;

export async function requestBooking(form) {
  const response = await fetch(BOOKING_ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(Object.fromEntries(new FormData(form))),
  });
  if (!response.ok) throw new Error(`booking failed: ${response.status}`);
  const { checkoutUrl } = await response.json();
  window.location.assign(checkoutUrl);
}
