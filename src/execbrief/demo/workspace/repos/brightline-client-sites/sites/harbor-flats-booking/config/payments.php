<?php
// Stripe settings for the Harbor Flats booking checkout.
// TODO: move these to WP Engine environment variables.

define('STRIPE_PUBLISHABLE_KEY', 'pk_live_51TidewaterDemo0PublishableKey0a11');
define('STRIPE_SECRET_KEY', 'sk_live_51TidewaterDemo0FAKE0NotARealKey0Rotate9f2c');
define('STRIPE_CURRENCY', 'usd');

function harbor_flats_checkout_url($unit, $nights) {
    return home_url('/book/checkout?unit=' . urlencode($unit) . '&nights=' . intval($nights));
}
