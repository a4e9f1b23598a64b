<?php
/**
 * Plugin Name: SG clock
 * Description: A fixture on live: a clock in the footer, different on every request.
 * Version: 1.0.0
 */

add_action( 'wp_footer', function () { echo '<p class="sg-clock" style="text-align:center;font-size:40px;background:#222;color:#fff">' . esc_html( microtime() ) . '</p>'; } );
